"""Bundled Kent inspection texts (Open Government Licence v3.0): the default inputs."""
