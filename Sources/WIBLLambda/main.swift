// The `bootstrap` executable for the Lambda custom runtime: see WIBLCloud.
print("wibl bootstrap: not yet implemented")
