"""`python -m newsds.bench`: the speed figures and the scale table."""

from newsds.bench.speed import main

main()
