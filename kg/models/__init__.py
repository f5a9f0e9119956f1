"""The learned models shipped with kg (see README.md here: training data, licences, scores)."""
