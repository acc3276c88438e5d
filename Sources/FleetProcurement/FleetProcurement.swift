// The FleetProcurement module; see Package.swift for what it holds.
