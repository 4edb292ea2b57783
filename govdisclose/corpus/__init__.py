"""Many files at once: finding report files, loading them in parallel, the Parquet cache, the bundled sample."""
