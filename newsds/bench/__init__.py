"""Speed figures (`python -m newsds.bench`, `nox -s bench`): `speed` per stage and format, `scale` the
streaming build on synthetic corpora. A tool over the library: nothing in newsds imports it."""
