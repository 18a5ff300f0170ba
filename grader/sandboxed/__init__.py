"""Code that runs inside the sandbox: the trusted pytest entry point and its reporter plugin."""
