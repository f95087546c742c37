"""StyleTransfer: a picture repainted in a style (fast style transfer, ml5's checkpoints)."""
