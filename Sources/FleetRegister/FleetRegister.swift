// The FleetRegister module; see Package.swift for what it holds.
