// The FleetReport module; see Package.swift for what it holds.
