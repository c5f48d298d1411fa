package report_test

import (
	"fmt"

	"github.com/epiplan/epiplan/internal/report"
)

func ExampleThousands() {
	fmt.Println(report.Thousands(1000))
	fmt.Println(report.Thousands(-12345.6))
	fmt.Println(report.Thousands(1234.5)) // %.0f rounds a half to even
	fmt.Println(report.Thousands(1e9))
	// Output:
	// 1,000
	// −12,346
	// 1,234
	// 1,000,000,000
}
