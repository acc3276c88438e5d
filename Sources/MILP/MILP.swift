// The MILP module; see Package.swift for what it holds.
