// Benchmarks that print figures; built by the scale issue.
print("fleet-bench: no benchmarks yet")
