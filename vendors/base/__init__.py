"""What every vendor package builds on: the HTTP client, the provider contract, the sandbox server."""
