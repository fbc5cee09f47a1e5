"""What repcount shows people: terminal tables now; plots and pages build on the same results."""
