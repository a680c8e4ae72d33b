"""`/api/v1/dashboard/`: Today's figures over REST, the same objects the page renders."""
