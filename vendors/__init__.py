"""One package per vendor; each holds its client, schemas, mapping, webhook handlers, tasks and sandbox."""
