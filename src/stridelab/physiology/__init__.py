"""stridelab.physiology."""
