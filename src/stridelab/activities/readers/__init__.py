"""stridelab.activities.readers."""
