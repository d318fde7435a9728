"""Success measures: recording values, XmR signals, the scorecard and questions about measures."""
