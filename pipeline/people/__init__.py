"""People orchestration: load faces and neighbours from SQL and the index, call the steps, write plans."""
