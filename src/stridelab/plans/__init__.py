"""stridelab.plans."""
