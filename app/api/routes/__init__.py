"""The API's resources, one module each."""
