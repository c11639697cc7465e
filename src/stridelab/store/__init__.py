"""stridelab.store."""
