"""Analysis of results: where points were lost, targets and what-if, ranks, trends, the plan's appendix."""
