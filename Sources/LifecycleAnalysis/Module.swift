// The analysis core: specs, checks and the workspace model.
