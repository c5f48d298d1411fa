package workbench_test

import (
	"log"
	"net/http"

	"github.com/epiplan/epiplan/workbench"
)

// The workbench is an http.Handler: a program can serve it as epiplan serve
// does, on the loopback address only.
func Example() {
	wb, err := workbench.New(workbench.Options{Dir: "epiplan-runs", MaxRuns: 1})
	if err != nil {
		log.Fatal(err)
	}
	defer wb.Close() // cancels the runs under way
	log.Fatal(http.ListenAndServe("127.0.0.1:8080", wb))
}
