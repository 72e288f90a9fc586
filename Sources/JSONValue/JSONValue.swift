// JSONValue module: see README.
