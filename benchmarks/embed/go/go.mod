module embedgo

go 1.18
