"""stridelab.video."""
