"""Pure numerical models (numpy/scipy only): one model per module, parameters with units and sources."""
