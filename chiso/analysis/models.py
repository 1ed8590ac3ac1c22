"""The analysis app keeps no data of its own: results, raw inputs and national tables live in chiso.scores."""
