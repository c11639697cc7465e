"""stridelab.activities."""
