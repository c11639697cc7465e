"""stridelab.drills."""
