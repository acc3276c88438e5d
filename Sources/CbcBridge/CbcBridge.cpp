// Drives CbcModel directly rather than through CBC's C interface: in CBC 2.10 that interface solves through
// CbcMain1, which parses its options through process-wide globals (CbcOrClpRead_mode), so two threads solving at
// once can skip each other's "-solve" and return unsolved models. CbcModel itself keeps its state per model.
#include "CbcBridge.h"

#include <cstdio>
#include <cstring>
#include <exception>

#include "CbcModel.hpp"
#include "CbcStrategy.hpp"
#include "CoinError.hpp"
#include "OsiClpSolverInterface.hpp"

namespace {

void fail(CbcBridgeResult *result, const char *what) {
    result->status = CbcBridgeStatusFailed;
    std::snprintf(result->message, sizeof result->message, "%s", what);
}

/// The arguments of one call, gathered.
struct Problem {
    int columnCount;
    int rowCount;
    const int *columnStarts;
    const int *rowIndices;
    const double *elements;
    const double *columnLower;
    const double *columnUpper;
    const double *objective;
    const unsigned char *isInteger;
    const double *rowLower;
    const double *rowUpper;
    const double *initialSolution;
    CbcBridgeSettings settings;
};

void solve(const Problem &problem, double *solution, CbcBridgeResult *result) {
    const int columns = problem.columnCount;
    OsiClpSolverInterface lp;
    lp.messageHandler()->setLogLevel(0);
    lp.setHintParam(OsiDoReducePrint, true, OsiHintTry);
    lp.loadProblem(columns, problem.rowCount, problem.columnStarts, problem.rowIndices, problem.elements,
                   problem.columnLower, problem.columnUpper, problem.objective, problem.rowLower, problem.rowUpper);
    bool hasIntegers = false;
    for (int column = 0; column < columns; ++column) {
        if (problem.isInteger[column]) {
            lp.setInteger(column);
            hasIntegers = true;
        }
    }

    lp.initialSolve();
    if (lp.isAbandoned()) return fail(result, "the linear relaxation was abandoned after numerical difficulties");
    if (lp.isProvenPrimalInfeasible()) {
        result->status = CbcBridgeStatusInfeasible;
        return;
    }
    if (lp.isProvenDualInfeasible()) {
        result->status = CbcBridgeStatusUnbounded;
        return;
    }
    if (!lp.isProvenOptimal()) return fail(result, "the linear relaxation stopped before it was solved");
    if (!hasIntegers) {
        std::memcpy(solution, lp.getColSolution(), sizeof(double) * columns);
        result->status = CbcBridgeStatusOptimal;
        result->objectiveValue = lp.getObjValue();
        result->bestBound = result->objectiveValue;
        return;
    }

    CbcModel model(lp);
    model.setLogLevel(0);
    model.messageHandler()->setLogLevel(0);
    model.solver()->messageHandler()->setLogLevel(0);
    model.setNumberThreads(0);
    model.setUseElapsedTime(true);
    if (problem.settings.timeLimitSeconds > 0) model.setMaximumSeconds(problem.settings.timeLimitSeconds);
    model.setAllowableGap(problem.settings.absoluteGap);
    model.setAllowableFractionGap(problem.settings.relativeGap);
    // Cuts at the root only, strong branching on five candidates: CBC's own default strategy.
    CbcStrategyDefault strategy(1, 5, 0, 0);
    model.setStrategy(strategy);
    if (problem.initialSolution) model.setBestSolution(problem.initialSolution, columns, COIN_DBL_MAX, true);

    model.branchAndBound();

    result->nodeCount = model.getNodeCount();
    result->cbcStatus = model.status();
    result->cbcSecondaryStatus = model.secondaryStatus();
    const double *best = model.bestSolution();
    if (best) {
        std::memcpy(solution, best, sizeof(double) * columns);
        result->objectiveValue = model.getObjValue();
    }
    result->bestBound = model.getBestPossibleObjValue();
    if (model.isProvenOptimal() && best) {
        result->status = CbcBridgeStatusOptimal;
        result->bestBound = result->objectiveValue;
    } else if (model.isProvenInfeasible()) {
        result->status = CbcBridgeStatusInfeasible;
    } else if (model.isContinuousUnbounded()) {
        result->status = CbcBridgeStatusUnbounded;
    } else if (model.isAbandoned()) {
        fail(result, "the search was abandoned after numerical difficulties");
    } else if (model.isSecondsLimitReached()) {
        result->status = best ? CbcBridgeStatusStoppedWithSolution : CbcBridgeStatusStoppedWithoutSolution;
    } else {
        std::snprintf(result->message, sizeof result->message,
                      "the search ended without a proof (status %d, secondary status %d)", model.status(),
                      model.secondaryStatus());
        result->status = CbcBridgeStatusFailed;
    }
}

}  // namespace

extern "C" void cbc_bridge_solve(int columnCount, int rowCount, const int *columnStarts, const int *rowIndices,
                                 const double *elements, const double *columnLower, const double *columnUpper,
                                 const double *objective, const unsigned char *isInteger, const double *rowLower,
                                 const double *rowUpper, const double *initialSolution, CbcBridgeSettings settings,
                                 double *solution, CbcBridgeResult *result) {
    std::memset(result, 0, sizeof *result);
    result->status = CbcBridgeStatusFailed;
    const Problem problem = {columnCount, rowCount, columnStarts, rowIndices, elements,
                             columnLower, columnUpper, objective, isInteger, rowLower, rowUpper, initialSolution,
                             settings};
    try {
        solve(problem, solution, result);
    } catch (const CoinError &error) {
        std::snprintf(result->message, sizeof result->message, "CBC error in %s::%s: %s", error.className().c_str(),
                      error.methodName().c_str(), error.message().c_str());
        result->status = CbcBridgeStatusFailed;
    } catch (const std::exception &error) {
        fail(result, error.what());
    } catch (...) {
        fail(result, "CBC raised an unknown exception");
    }
}
