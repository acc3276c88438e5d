// The WorkbookWriter module; see Package.swift for what it holds.
