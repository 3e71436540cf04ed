"""Study tools built from the topic model: the daily deck's cards and the Anki export."""
