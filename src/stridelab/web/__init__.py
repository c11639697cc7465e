"""stridelab.web."""
