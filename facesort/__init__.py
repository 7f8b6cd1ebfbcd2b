"""The facesort command line: the one place that wires the API, the pipeline and the settings."""
