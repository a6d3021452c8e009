"""Watch-list screening: names in any script, explainable scores, list importers."""
