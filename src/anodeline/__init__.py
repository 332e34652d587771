"""anodeline."""
