"""Numbers, and the words that report them: one module per notebook plus the shared valuation arithmetic."""
