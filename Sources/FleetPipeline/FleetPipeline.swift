// The pipeline that joins the stages; built by the issues that need it.
