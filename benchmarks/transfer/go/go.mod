module xorgo

go 1.18
