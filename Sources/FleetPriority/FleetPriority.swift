// The FleetPriority module; see Package.swift for what it holds.
