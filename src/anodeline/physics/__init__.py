"""Physics: atmosphere (humidity, purge, pump-down, leaks, mixing), deposition, degradation."""
