// The executable: all wiring lives in HerdApp.
import ArgumentParser
import HerdApp

@main
extension HerdCommand {}
