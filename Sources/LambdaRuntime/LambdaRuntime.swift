// LambdaRuntime module: see README.
