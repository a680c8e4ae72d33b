"""TribeIT / Ceki (contracts and time): the User API's payloads, paths and, as issue 7 grows, its client."""
