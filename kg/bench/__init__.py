"""`kg bench`: performance figures beside the tools a user would pick instead, measured in the same run."""
