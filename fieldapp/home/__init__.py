"""The home page: what waits for the user, gathered from the other features."""
