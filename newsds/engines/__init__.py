"""The engines that run the build's middle stages on batches of raw files: `stream` (local processes, the
default) and `ray_engine` (Ray Data, with `pip install 'newsds[ray]'`). Both give the same bytes."""
