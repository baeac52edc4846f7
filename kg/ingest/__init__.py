"""What an ingest writes besides article graphs (entity registry, article identity) and where extraction
runs (executors: this process, a warm worker pool, a Dask cluster)."""
