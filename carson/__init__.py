"""Carson: a local-first relationship GPS for B2B sellers."""

__version__ = "0.1.0"
