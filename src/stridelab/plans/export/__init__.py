"""stridelab.plans.export."""
